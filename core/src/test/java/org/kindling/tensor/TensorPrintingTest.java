package org.kindling.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** {@code toString} against real PyTorch's {@code str(tensor)} (reference/tensor_str.txt). */
class TensorPrintingTest {

    @TestFactory
    Stream<DynamicTest> printsLikePyTorch() {
        String text = Reference.resource("tensor_str.txt");
        List<DynamicTest> tests = new ArrayList<>();
        for (String block : text.split("----\n")) {
            if (!block.startsWith("code: ")) continue;
            int nl = block.indexOf('\n');
            String code = block.substring("code: ".length(), nl);
            String expected = block.substring(nl + 1).stripTrailing().replace("torch.", "kindling.");
            tests.add(DynamicTest.dynamicTest(expected.lines().findFirst().orElse(code), () -> {
                Tensor t = Reference.decode(code);
                assertEquals(expected, t.toString());
            }));
        }
        assertTrue(tests.size() >= 20, "printing fixture has " + tests.size() + " cases");
        return tests.stream();
    }
}
