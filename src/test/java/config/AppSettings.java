package config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * application.properties as the app ships it. A setting written {@code {{env:VARIABLE:default}}}
 * takes its default when VARIABLE is not set: tests hold what they check to these defaults, not to
 * copies of them.
 */
public final class AppSettings {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{env:([A-Z0-9_]+):(.*)}}");
    private static final Properties SHIPPED = load();

    private AppSettings() {
    }

    /** The setting as written, or null when there is none. */
    public static String written(String property) {
        String value = SHIPPED.getProperty(property);
        return value == null ? null : value.trim();
    }

    /** The default of a setting written {@code {{env:VARIABLE:default}}}. */
    public static String defaultOf(String property) {
        String value = written(property);
        Matcher placeholder = PLACEHOLDER.matcher(value == null ? "" : value);
        if (!placeholder.matches()) {
            throw new AssertionError(property + " is not {{env:VARIABLE:default}} in application.properties: " + value);
        }
        return placeholder.group(2);
    }

    public static long defaultMillis(String property) {
        return Long.parseLong(defaultOf(property));
    }

    /** The default of every variable the app reads, by the variable's name. */
    public static Map<String, String> defaultsByVariable() {
        Map<String, String> defaults = new TreeMap<>();
        SHIPPED.values().forEach(value -> {
            Matcher placeholder = PLACEHOLDER.matcher(value.toString().trim());
            if (placeholder.matches()) {
                defaults.put(placeholder.group(1), placeholder.group(2));
            }
        });
        return defaults;
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = AppSettings.class.getClassLoader().getResourceAsStream("application.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
