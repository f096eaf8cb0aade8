package org.kindling.plugin.hub.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.kindling.plugin.HubException;
import org.kindling.plugin.ModelInfo;
import org.kindling.plugin.ModelStore;
import org.kindling.plugin.Prediction;
import org.kindling.plugin.PredictionInput;
import org.kindling.plugin.PredictionService;
import org.kindling.plugin.Predictor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Routes predictions to the {@link Predictor} that supports the stored model. An update of a plugin unregisters its
 * old predictor before the new one registers; calls arriving in that gap wait for the new one (up to
 * {@code kindling.predict.wait.millis}, default 3000) and a call whose predictor goes away while it runs is retried
 * on the next one, so clients see either an answer or UNAVAILABLE, never a plugin's internal error.
 */
@Component(service = PredictionService.class)
public class PredictionServiceImpl implements PredictionService {

    private final Map<Long, Predictor> predictors = new ConcurrentHashMap<>();
    private final Object changed = new Object();
    private long waitMillis = 3000;

    @Reference
    private ModelStore models;

    @Activate
    void activate(BundleContext context) {
        String wait = context.getProperty("kindling.predict.wait.millis");
        if (wait != null) {
            waitMillis = Long.parseLong(wait.trim());
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addPredictor(Predictor predictor, Map<String, Object> properties) {
        predictors.put((Long) properties.get(Constants.SERVICE_ID), predictor);
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    void removePredictor(Predictor predictor, Map<String, Object> properties) {
        predictors.remove((Long) properties.get(Constants.SERVICE_ID));
    }

    @Override
    public Prediction predict(String model, PredictionInput input) {
        ModelInfo info = models.get(model).orElseThrow(() -> new HubException(HubException.Kind.NOT_FOUND,
                "no model named '" + model + "'"));
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        while (true) {
            for (Predictor p : candidates(info)) {
                try {
                    return p.predict(info, models.file(info), input);
                } catch (HubException e) {
                    throw e;
                } catch (Throwable t) { // a plugin's failure must not reach the client as a stack trace
                    if (predictors.containsValue(p)) {
                        throw new HubException(HubException.Kind.FAILED, "prediction with model " + info.reference()
                                + " failed: " + WorkloadRunnerImpl.describe(t), t);
                    }
                    // the predictor was unregistered while it ran (its plugin is being updated): try the next one
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new HubException(HubException.Kind.UNAVAILABLE, "no predictor serves model " + info.reference()
                        + " (format " + info.format() + (info.workload().isEmpty() ? "" : ", from workload "
                        + info.workload()) + ") right now; its plugin may be missing or being updated");
            }
            synchronized (changed) {
                try {
                    changed.wait(Math.max(1, Math.min(50, left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new HubException(HubException.Kind.UNAVAILABLE, "interrupted while waiting for a predictor");
                }
            }
        }
    }

    private List<Predictor> candidates(ModelInfo info) {
        List<Predictor> out = new ArrayList<>();
        for (Predictor p : predictors.values()) {
            try {
                if (p.supports(info)) {
                    out.add(p);
                }
            } catch (Throwable ignored) { // NOPMD a broken predictor is skipped, the others still serve
            }
        }
        return out;
    }
}
