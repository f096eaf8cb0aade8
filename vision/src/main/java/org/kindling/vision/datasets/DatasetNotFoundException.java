package org.kindling.vision.datasets;

import java.io.IOException;

/**
 * A data set is not installed in any of the places {@link DataLocations} searches. The message lists those places
 * and the command that installs the data set, such as {@code kindling data fetch fashion-mnist}.
 */
public class DatasetNotFoundException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String dataset;

    /**
     * @param dataset the data set's name, such as "fashion-mnist"
     * @param message where it was looked for and how to install it
     */
    public DatasetNotFoundException(String dataset, String message) {
        super(message);
        this.dataset = dataset;
    }

    /** @return the data set's name */
    public String dataset() {
        return dataset;
    }
}
