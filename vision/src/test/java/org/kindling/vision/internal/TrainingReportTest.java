package org.kindling.vision.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.kindling.vision.ClassificationMetrics;

class TrainingReportTest {

    @Test
    void thePageHasCurvesOnlyWhenThereAreEpochs() {
        ClassificationMetrics m = ClassificationMetrics.of(new long[] {0, 1, 1}, new long[] {0, 1, 0}, List.of("a", "b"));
        BufferedImage matrixOnly = TrainingReport.render("t", new TrainingReport.Curves(), m);
        assertEquals(40 + TrainingReport.MATRIX_SIZE, matrixOnly.getHeight());
        TrainingReport.Curves curves = new TrainingReport.Curves(List.of(1.0, 0.5), List.of(0.9, 0.6),
                List.of(0.5, 0.8), List.of(0.6, 0.7));
        BufferedImage page = TrainingReport.render("t", curves, m);
        assertEquals(2 * TrainingReport.CHART_WIDTH, page.getWidth());
        assertEquals(40 + TrainingReport.CHART_HEIGHT + TrainingReport.MATRIX_SIZE, page.getHeight());
    }

    @Test
    void aMachineWithoutFontLibrariesLosesThePictureNotTheRun() {
        assertNull(TrainingReport.tryDraw(() -> { }));
        String reason = TrainingReport.tryDraw(() -> {
            throw new UnsatisfiedLinkError("libfontmanager.so: libharfbuzz.so.0: cannot open shared object file");
        });
        assertEquals("UnsatisfiedLinkError: libfontmanager.so: libharfbuzz.so.0: cannot open shared object file",
                reason);
        assertThrows(CancellationException.class, () -> TrainingReport.tryDraw(() -> {
            throw new CancellationException("cancelled");
        }));
    }

    @Test
    void metricsFromTheDocExample() {
        ClassificationMetrics m = ClassificationMetrics.of(new long[] {0, 1, 1}, new long[] {0, 1, 0}, List.of("a", "b"));
        assertEquals(2.0 / 3, m.accuracy(), 1e-12);
        assertEquals(0.5, m.precision(1), 1e-12);
        assertEquals(1.0, m.precision(0), 1e-12);
        assertEquals(0.5, m.recall(0), 1e-12);
        assertEquals(1.0, m.recall(1), 1e-12);
        assertEquals(1, m.confusion()[0][1], "one 'a' predicted as 'b'");
    }
}
