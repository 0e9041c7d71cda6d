package io.llamabox.spi;

/** Cumulative counters and current gauges of an engine, read by {@code /metrics}. */
public record EngineMetrics(long promptTokensTotal, double promptSecondsTotal, long tokensPredictedTotal,
                            double tokensPredictedSecondsTotal, long tokensDraftedTotal,
                            long tokensDraftedAcceptedTotal, long decodeTotal, long busySlotsPerDecodeTotal,
                            double kvCacheUsageRatio, long kvCacheTokens, int requestsProcessing,
                            int requestsDeferred) {
}
