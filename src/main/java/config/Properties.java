package config;

import org.apache.camel.CamelContext;

/** Reads resolved application properties (placeholders and env overrides already applied). */
public final class Properties {

    private final CamelContext context;

    public Properties(CamelContext context) {
        this.context = context;
    }

    public String get(String key) {
        return context.getPropertiesComponent().resolveProperty(key)
                .orElseThrow(() -> new IllegalStateException("Missing application property " + key));
    }

    public int getInt(String key) {
        return Integer.parseInt(get(key).trim());
    }

    public boolean getBoolean(String key) {
        return Boolean.parseBoolean(get(key).trim());
    }
}
