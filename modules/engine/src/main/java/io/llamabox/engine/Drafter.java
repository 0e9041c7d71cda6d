package io.llamabox.engine;

/** Proposes the tokens that likely follow a slot's history, for the target model to verify. */
interface Drafter extends AutoCloseable {
    /**
     * Up to {@code max} tokens that may follow the slot's cached tokens plus {@code pending} (the
     * token about to be decoded). May return fewer, or none.
     */
    int[] draft(Slot slot, int pending, int max);

    /** The slot's task has finished; its cached tokens [0, nPast) are what it read and wrote. */
    default void finished(Slot slot) {
    }

    @Override
    void close();
}
