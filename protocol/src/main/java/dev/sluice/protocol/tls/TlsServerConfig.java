package dev.sluice.protocol.tls;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Optional;

/**
 * Turns {@code sluice.tls.*} into the Quarkus server settings of {@link ClusterTls#serverProperties()},
 * so that one switch covers gRPC and HTTP in every app. Found by the apps' SmallRye Config through
 * {@code META-INF/services}. Its ordinal sits above {@code application.properties} and below
 * environment variables and system properties, which can still override a generated setting.
 */
public final class TlsServerConfig implements ConfigSourceFactory {

    private static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        return ClusterTls.from(name -> value(context, name))
                .<Iterable<ConfigSource>>map(tls -> List.of(new PropertiesConfigSource(tls.serverProperties(), "sluice.tls", ORDINAL)))
                .orElse(List.of());
    }

    private static Optional<String> value(ConfigSourceContext context, String name) {
        ConfigValue v = context.getValue(name);
        return v == null ? Optional.empty() : Optional.ofNullable(v.getValue());
    }
}
