package org.kindling.vision.internal;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.kindling.vision.ClassificationMetrics;
import org.kindling.vision.Images;

/** The PNG report of a training run: loss and accuracy per epoch (XChart line charts) and the confusion matrix. */
final class TrainingReport {

    static final int CHART_WIDTH = 640;
    static final int CHART_HEIGHT = 420;
    static final int MATRIX_SIZE = 720;

    private TrainingReport() {
    }

    /** Per-epoch curves: index 0 is epoch 1. */
    record Curves(List<Double> trainLoss, List<Double> testLoss, List<Double> trainAccuracy,
                  List<Double> testAccuracy) {
        Curves() {
            this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }
    }

    /** The page: a title, the loss and accuracy curves side by side (left out when there are none), the matrix. */
    static BufferedImage render(String title, Curves curves, ClassificationMetrics metrics) {
        boolean hasCurves = !curves.trainLoss().isEmpty();
        BufferedImage loss = hasCurves ? BitmapEncoder.getBufferedImage(
                lines("Loss", "cross-entropy", curves.trainLoss(), curves.testLoss())) : null;
        BufferedImage accuracy = hasCurves ? BitmapEncoder.getBufferedImage(
                lines("Accuracy", "accuracy", curves.trainAccuracy(), curves.testAccuracy())) : null;
        BufferedImage matrix = BitmapEncoder.getBufferedImage(confusion(metrics));
        int width = Math.max(hasCurves ? 2 * CHART_WIDTH : 0, matrix.getWidth());
        int titleHeight = 40;
        int curvesHeight = hasCurves ? CHART_HEIGHT : 0;
        BufferedImage page = new BufferedImage(width, titleHeight + curvesHeight + matrix.getHeight(),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = page.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, page.getWidth(), page.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            g.drawString(title, 12, 27);
            if (hasCurves) {
                g.drawImage(loss, 0, titleHeight, null);
                g.drawImage(accuracy, CHART_WIDTH, titleHeight, null);
            }
            g.drawImage(matrix, (width - matrix.getWidth()) / 2, titleHeight + curvesHeight, null);
        } finally {
            g.dispose();
        }
        return page;
    }

    static void write(Path file, String title, Curves curves, ClassificationMetrics metrics) throws IOException {
        Images.writePng(render(title, curves, metrics), file);
    }

    /**
     * Runs a drawing step whose failure must not cost the run its result: drawing text needs the JDK's font
     * libraries and fonts, which some server images lack ("libfontmanager.so: libharfbuzz.so.0: cannot open shared
     * object file"). Returns null on success, else a one-line reason for the log.
     */
    static String tryDraw(Drawing step) {
        try {
            step.run();
            return null;
        } catch (java.util.concurrent.CancellationException e) {
            throw e;
        } catch (LinkageError | InternalError | java.awt.AWTError | IOException | RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** A drawing step. */
    @FunctionalInterface
    interface Drawing {
        void run() throws IOException;
    }

    private static XYChart lines(String title, String yTitle, List<Double> train, List<Double> test) {
        XYChart chart = new XYChartBuilder().width(CHART_WIDTH).height(CHART_HEIGHT).title(title).xAxisTitle("epoch")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setYAxisDecimalPattern("0.0###");
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.addSeries("train", epochs(train.size()), toArray(train));
        chart.addSeries("test", epochs(test.size()), toArray(test));
        return chart;
    }

    private static HeatMapChart confusion(ClassificationMetrics metrics) {
        HeatMapChart chart = new HeatMapChartBuilder().width(MATRIX_SIZE).height(MATRIX_SIZE)
                .title(String.format("Confusion matrix (test accuracy %.2f%%)", 100 * metrics.accuracy()))
                .xAxisTitle("predicted").yAxisTitle("actual").build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setHeatMapValueDecimalPattern("0");
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(45);
        chart.getStyler().setRangeColors(new Color[] {new Color(0xf7fbff), new Color(0x6baed6), new Color(0x08306b)});
        long[][] cm = metrics.confusion();
        List<String> labels = metrics.classes();
        List<Number[]> cells = new ArrayList<>();
        int k = labels.size();
        for (int actual = 0; actual < k; actual++) {
            for (int predicted = 0; predicted < k; predicted++) {
                // y runs bottom-up in XChart; put the first class at the top, as confusion matrices are read.
                cells.add(new Number[] {predicted, k - 1 - actual, cm[actual][predicted]});
            }
        }
        List<String> yLabels = new ArrayList<>(labels);
        java.util.Collections.reverse(yLabels);
        chart.addSeries("counts", labels, yLabels, cells);
        return chart;
    }

    private static double[] epochs(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * A grid of images with the predicted and the true label under each (red when wrong), for TensorBoard.
     *
     * @param images grey or RGB images
     * @param captions one line per image
     * @param wrong which predictions were wrong
     */
    static BufferedImage sampleGrid(List<BufferedImage> images, List<String> captions, boolean[] wrong) {
        int cell = 112;
        int captionHeight = 30;
        int columns = Math.min(8, images.size());
        int rows = (images.size() + columns - 1) / columns;
        BufferedImage grid = new BufferedImage(columns * cell, rows * (cell + captionHeight), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            for (int i = 0; i < images.size(); i++) {
                int x = (i % columns) * cell;
                int y = (i / columns) * (cell + captionHeight);
                g.drawImage(images.get(i), x + 8, y + 4, cell - 16, cell - 16, null);
                g.setColor(wrong[i] ? new Color(0xc0392b) : new Color(0x1e8449));
                String[] lines = captions.get(i).split("\n");
                for (int l = 0; l < lines.length; l++) {
                    g.drawString(lines[l], x + 4, y + cell + l * 12);
                }
            }
        } finally {
            g.dispose();
        }
        return grid;
    }
}
