package dev.airwave.registry;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The local channel store")
class LocalChannelStoreTest extends ChannelStoreContract {
  @Override
  protected ChannelStore newStore(Duration idleTimeout, LongSupplier clockMillis) {
    return new LocalChannelStore(idleTimeout, clockMillis);
  }
}
