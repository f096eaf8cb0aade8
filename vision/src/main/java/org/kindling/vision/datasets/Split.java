package org.kindling.vision.datasets;

/** Which part of a data set: the training or the test examples. */
public enum Split {
    /** The training examples. */
    TRAIN,
    /** The held-out test examples. */
    TEST
}
