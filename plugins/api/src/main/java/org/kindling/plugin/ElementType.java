package org.kindling.plugin;

/** The element type of a {@link TensorData}, named like core's DType. */
public enum ElementType {
    /** 32-bit float. */
    FLOAT32,
    /** 64-bit float. */
    FLOAT64,
    /** 32-bit integer. */
    INT32,
    /** 64-bit integer (exact up to 2^53 in {@link TensorData}). */
    INT64,
    /** Boolean, stored as 0 and 1. */
    BOOL
}
