package org.kindling.plugin.hub.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

import org.kindling.io.Safetensors;
import org.kindling.io.StateDict;
import org.kindling.plugin.ModelFormat;
import org.kindling.plugin.ModelInfo;
import org.kindling.tensor.Tensor;
import org.osgi.service.component.annotations.Component;

/**
 * The "safetensors" model format over core's {@link Safetensors}: inspection loads the file with core's limits
 * (every declared size checked before allocation), so a malformed or hostile file is rejected with core's message.
 */
@Component(service = ModelFormat.class, property = ModelFormat.NAME + "=safetensors")
public class SafetensorsFormat implements ModelFormat {

    @Override
    public String name() {
        return "safetensors";
    }

    @Override
    public String fileExtension() {
        return ".safetensors";
    }

    @Override
    public Map<String, String> inspect(Path file) throws IOException {
        StateDict tensors = Safetensors.load(file);
        long parameters = 0;
        TreeSet<String> dtypes = new TreeSet<>();
        for (Tensor t : tensors.values()) {
            parameters += t.numel();
            dtypes.add(t.dtype().toString());
        }
        Map<String, String> description = new LinkedHashMap<>();
        description.put("tensors", Integer.toString(tensors.size()));
        description.put("parameters", Long.toString(parameters));
        description.put("dtypes", String.join(",", dtypes));
        return description;
    }

    @Override
    public boolean canWrite(ModelInfo source) {
        return source.format().equals(name());
    }

    @Override
    public void write(ModelInfo source, Path sourceFile, Path target) throws IOException {
        Files.copy(sourceFile, target, StandardCopyOption.REPLACE_EXISTING);
    }
}
