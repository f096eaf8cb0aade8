package org.kindling.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private static Map<String, Double> metrics(double loss, double acc) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", loss);
        m.put("acc", acc);
        return m;
    }

    @Test
    void rendersProgressMetricsSpeedAndEta() {
        long[] now = {0};
        var buf = new ByteArrayOutputStream();
        var bar = new ProgressBar("epoch 1/2", 4, new PrintStream(buf, true, StandardCharsets.UTF_8), true, () -> now[0]);
        now[0] = 1_000_000_000L;
        bar.step(100, metrics(0.5, 0.875));
        assertEquals("epoch 1/2 [======>                 ] 1/4  loss 0.5000  acc 87.5%  100 samples/s  ETA 0:03",
                bar.render());
        now[0] = 2_000_000_000L;
        bar.step(100, metrics(0.25, 0.9));
        assertTrue(bar.render().contains("2/4  loss 0.2500  acc 90.0%  100 samples/s  ETA 0:02"), bar.render());
        bar.close();
        String text = buf.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("\r"), "interactive output redraws in place");
        assertTrue(text.endsWith("\n"));
    }

    @Test
    void nonInteractiveOutputPrintsTenLinesAtMost() {
        long[] now = {0};
        var buf = new ByteArrayOutputStream();
        var bar = new ProgressBar("train", 1000, new PrintStream(buf, true, StandardCharsets.UTF_8), false, () -> now[0]);
        for (int i = 0; i < 1000; i++) {
            now[0] += 1_000_000;
            bar.step(32, Map.of("loss", 1.0 / (i + 1)));
        }
        bar.close();
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertTrue(lines.length <= 11 && lines.length >= 10, "got " + lines.length + " lines");
        assertTrue(lines[lines.length - 1].contains("1000/1000"), lines[lines.length - 1]);
        assertTrue(lines[lines.length - 1].contains("32,000 samples/s"), lines[lines.length - 1]);
    }

    @Test
    void runningMeanIsWeighted() {
        var m = new RunningMean();
        assertTrue(Double.isNaN(m.mean()));
        m.add(1.0, 3);
        m.add(3.0, 1);
        assertEquals(1.5, m.mean(), 1e-12);
        assertEquals(4, m.count());
    }
}
