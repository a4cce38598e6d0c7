package config;

import operations.GracefulStop;
import org.apache.camel.main.Main;

/**
 * {@code java -jar donut-states.jar}: Camel Main reads application.properties and the environment,
 * and a stop drains first (operations.GracefulStop).
 */
public final class DonutStatesApplication {

    private DonutStatesApplication() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.addMainListener(new GracefulStop());
        main.run(args);
    }
}
