package config;

import org.apache.camel.CamelContext;

/** Reads resolved application properties (placeholders and env overrides already applied). */
final class Properties {

    private final CamelContext context;

    Properties(CamelContext context) {
        this.context = context;
    }

    String get(String key) {
        return context.getPropertiesComponent().resolveProperty(key)
                .orElseThrow(() -> new IllegalStateException("Missing application property " + key));
    }

    int getInt(String key) {
        return Integer.parseInt(get(key).trim());
    }

    boolean getBoolean(String key) {
        return Boolean.parseBoolean(get(key).trim());
    }
}
