package org.kindling.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kindling.Kindling.arange;
import static org.kindling.Kindling.manualSeed;
import static org.kindling.Kindling.randn;
import static org.kindling.Kindling.tensor;

import org.junit.jupiter.api.Test;

/** The README's example, line for line, with its printed output checked. */
class ReadmeExampleTest {

    @Test
    void readmeExampleRunsAndPrintsWhatTheReadmeSays() {
        manualSeed(0);
        Tensor x = tensor(new float[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor w = randn(3, 4);
        Tensor y = x.matmul(w).relu();
        Tensor b = arange(4).to(DType.FLOAT32);
        Tensor p = y.add(b).softmax(-1);
        assertEquals("tensor([1., 1.])", p.sum(1).toString());

        Tensor col = x.select(1, 0);
        col.mul_(10);
        assertEquals("tensor([[10.,  2.,  3.],\n        [40.,  5.,  6.]])", x.toString());
        assertEquals("tensor([0, 0])", x.max(1).indices().toString());
        assertEquals("tensor([10., 40.,  2.,  5.,  3.,  6.])", x.t().contiguous().view(-1).toString());
    }
}
