package org.kindling.vision.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.nn.Module;
import org.kindling.tensor.Tensor;

class ModelsTest {

    @Test
    void everyModelMapsABatchOfImagesToClassLogitsAndBackpropagates() {
        Kindling.manualSeed(0);
        for (String name : VisionModels.NAMES) {
            Module m = VisionModels.create(name, 1, 28, 28, 10);
            Tensor x = Kindling.randn(3, 1, 28, 28);
            Tensor logits = m.forward(x);
            assertArrayEquals(new int[] {3, 10}, logits.shape().toArray(), name);
            logits.sum().backward();
            m.parameters().forEach(p -> assertTrue(p.grad() != null, name + ": every parameter gets a gradient"));
        }
    }

    @Test
    void parameterCountsMatchTheArchitectures() {
        // conv1 6*25+6, conv2 16*6*25+16, fc 400*120+120, 120*84+84, 84*10+10
        assertEquals(61_706, new LeNet5(1, 10).numParameters());
        // conv 32*9+32, bn 2*32, conv 64*32*9+64, bn 2*64, fc 3136*128+128, 128*10+10
        assertEquals(421_834, new SimpleCNN(1, 28, 28, 10).numParameters());
        // 784*256+256, 256*128+128, 128*10+10
        assertEquals(235_146, new MLP(784, new int[] {256, 128}, 10, 0.2).numParameters());
    }

    @Test
    void theResNetTakesAnyImageSizeAndRgb() {
        Kindling.manualSeed(1);
        Module net = VisionModels.create("resnet", 3, 32, 32, 5);
        net.eval();
        assertArrayEquals(new int[] {2, 5}, net.forward(Kindling.randn(2, 3, 32, 32)).shape().toArray());
        assertArrayEquals(new int[] {1, 5}, net.forward(Kindling.randn(1, 3, 20, 24)).shape().toArray());
    }

    @Test
    void wrongInputsAndNamesAreExplained() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> VisionModels.create("vgg", 1, 28, 28, 10));
        assertTrue(unknown.getMessage().contains("known: mlp, lenet5, cnn, resnet"), unknown.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> new SimpleCNN(1, 28, 28, 10).forward(Kindling.randn(1, 1, 32, 32)));
        assertTrue(size.getMessage().contains("[N, C, 28, 28], got [1, 1, 32, 32]"), size.getMessage());
    }
}
