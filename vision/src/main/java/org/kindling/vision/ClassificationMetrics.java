package org.kindling.vision;

import java.util.List;

/**
 * Accuracy, per-class precision and recall, and the confusion matrix of a classifier's predictions.
 * {@code confusion()[actual][predicted]} counts the examples of class {@code actual} predicted as
 * {@code predicted}, as scikit-learn's {@code confusion_matrix} does.
 *
 * <pre>
 * ClassificationMetrics m = ClassificationMetrics.of(new long[] {0, 1, 1}, new long[] {0, 1, 0}, List.of("a", "b"));
 * m.accuracy();      // 2/3
 * m.precision(1);    // 0.5  (one of the two "b" predictions was right)
 * m.recall(0);       // 0.5  (one of the two "a"s was found)
 * </pre>
 */
public final class ClassificationMetrics {

    private final List<String> classes;
    private final long[][] confusion;
    private final long total;

    private ClassificationMetrics(List<String> classes, long[][] confusion, long total) {
        this.classes = List.copyOf(classes);
        this.confusion = confusion;
        this.total = total;
    }

    /**
     * @param predicted predicted class per example
     * @param actual true class per example
     * @param classes class names, index = class number
     * @return the metrics
     * @throws IllegalArgumentException when the arrays differ in length or hold a class outside the names
     */
    public static ClassificationMetrics of(long[] predicted, long[] actual, List<String> classes) {
        if (predicted.length != actual.length) {
            throw new IllegalArgumentException("expected as many predictions as labels, got " + predicted.length
                    + " predictions and " + actual.length + " labels");
        }
        int k = classes.size();
        long[][] confusion = new long[k][k];
        for (int i = 0; i < predicted.length; i++) {
            if (actual[i] < 0 || actual[i] >= k || predicted[i] < 0 || predicted[i] >= k) {
                throw new IllegalArgumentException("example " + i + ": classes must be in 0.." + (k - 1)
                        + ", got actual " + actual[i] + ", predicted " + predicted[i]);
            }
            confusion[(int) actual[i]][(int) predicted[i]]++;
        }
        return new ClassificationMetrics(classes, confusion, predicted.length);
    }

    /** @return the class names */
    public List<String> classes() {
        return classes;
    }

    /** @return a copy of the confusion matrix, [actual][predicted] */
    public long[][] confusion() {
        long[][] copy = new long[confusion.length][];
        for (int i = 0; i < confusion.length; i++) {
            copy[i] = confusion[i].clone();
        }
        return copy;
    }

    /** @return the number of examples */
    public long total() {
        return total;
    }

    /** @return the fraction of examples predicted right (0 when there are none) */
    public double accuracy() {
        long right = 0;
        for (int i = 0; i < confusion.length; i++) {
            right += confusion[i][i];
        }
        return total == 0 ? 0 : (double) right / total;
    }

    /** @param c a class @return of the examples predicted as c, the fraction that are c (0 when none is) */
    public double precision(int c) {
        long predictedC = 0;
        for (long[] row : confusion) {
            predictedC += row[c];
        }
        return predictedC == 0 ? 0 : (double) confusion[c][c] / predictedC;
    }

    /** @param c a class @return of the examples of class c, the fraction predicted as c (0 when there are none) */
    public double recall(int c) {
        long actualC = 0;
        for (long v : confusion[c]) {
            actualC += v;
        }
        return actualC == 0 ? 0 : (double) confusion[c][c] / actualC;
    }

    /** @return a text table: one line per class with precision, recall and its confusion-matrix row */
    public String table() {
        StringBuilder s = new StringBuilder();
        int width = Math.max(5, classes.stream().mapToInt(String::length).max().orElse(5));
        s.append(String.format("%-" + width + "s  precision  recall  confusion (predicted ->)%n", "class"));
        for (int c = 0; c < classes.size(); c++) {
            s.append(String.format("%-" + width + "s  %9.4f  %6.4f ", classes.get(c), precision(c), recall(c)));
            for (long v : confusion[c]) {
                s.append(String.format(" %5d", v));
            }
            s.append(System.lineSeparator());
        }
        s.append(String.format("accuracy %.4f over %d examples", accuracy(), total));
        return s.toString();
    }
}
