package dev.airwave.registry;

/**
 * The viewers waiting on the other nodes of a cluster, as their owners last published them, so that
 * the waiting quotas count the whole service. Up to one list refresh old: a crowd arriving on
 * several nodes at once may pass a quota by what those nodes admit meanwhile.
 */
public interface WaitingElsewhere {
  /** Channel ids that viewers wait on elsewhere. */
  int ids();

  /** Viewers waiting elsewhere. */
  int viewers();

  /** Channel ids that this client address waits on elsewhere. */
  int idsOf(String client);

  /** A node alone: nothing waits elsewhere. */
  WaitingElsewhere NONE =
      new WaitingElsewhere() {
        @Override
        public int ids() {
          return 0;
        }

        @Override
        public int viewers() {
          return 0;
        }

        @Override
        public int idsOf(String client) {
          return 0;
        }
      };
}
