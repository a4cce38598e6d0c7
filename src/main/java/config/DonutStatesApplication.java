package config;

import org.apache.camel.main.Main;

/** {@code java -jar donut-states.jar}: Camel Main reads application.properties and the environment. */
public final class DonutStatesApplication {

    private DonutStatesApplication() {
    }

    public static void main(String[] args) throws Exception {
        new Main().run(args);
    }
}
