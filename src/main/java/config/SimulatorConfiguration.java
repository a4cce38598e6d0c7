package config;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import simulator.FactorySimulator;

/** The legacy factory's stand-in for local runs and tests (FACTORY_SIMULATOR=on; never on AWS). */
public class SimulatorConfiguration implements CamelConfiguration {

    @BindToRegistry(lazy = true)
    public FactorySimulator factorySimulator(@BeanInject("objectMapper") ObjectMapper mapper,
                                             @PropertyInject("app.public-base-url") String publicBaseUrl,
                                             @PropertyInject("simulator.failure-rate") double failureRate,
                                             @PropertyInject("simulator.duplicate-rate") double duplicateRate,
                                             @PropertyInject("simulator.max-orders-counted") int maxOrdersCounted) {
        return new FactorySimulator(mapper, RestockConfiguration.publicBaseUrl(publicBaseUrl), failureRate, duplicateRate,
                maxOrdersCounted);
    }
}
