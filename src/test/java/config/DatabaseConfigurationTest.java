package config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseConfigurationTest {

    @Test
    void theDatabaseAddressInTheLogCarriesNoCredentials() {
        assertThat(DatabaseConfiguration.withoutCredentials("jdbc:mysql://db.internal:3306/donut?user=donut&password=s3cret&sslMode=REQUIRED"))
                .isEqualTo("jdbc:mysql://db.internal:3306/donut");
        assertThat(DatabaseConfiguration.withoutCredentials("jdbc:mariadb://donut:s3cret@db.internal/donut"))
                .isEqualTo("jdbc:mariadb://db.internal/donut");
        assertThat(DatabaseConfiguration.withoutCredentials("jdbc:mysql://db.internal/donut")).isEqualTo("jdbc:mysql://db.internal/donut");
    }
}
