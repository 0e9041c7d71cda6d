package io.llamabox.server.http;

import io.llamabox.server.LoadedModel;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The model as it becomes ready: requests that need it get 503 "Loading model" until then. */
public final class ModelGate {
    private volatile LoadedModel model;
    private volatile String failure;

    public ModelGate(CompletionStage<LoadedModel> loading) {
        loading.whenComplete((m, e) -> {
            if (e != null) {
                failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            } else if (m == null) {
                failure = "no model was given";
            } else {
                model = m;
            }
        });
    }

    public Optional<LoadedModel> current() {
        return Optional.ofNullable(model);
    }

    /** The loaded model, or a 503 while it loads (or after it failed to). */
    public LoadedModel require() {
        LoadedModel m = model;
        if (m != null) {
            return m;
        }
        String f = failure;
        if (f != null) {
            throw new ApiException(ErrorKind.UNAVAILABLE, "Model failed to load: " + f);
        }
        throw ApiException.loading();
    }
}
