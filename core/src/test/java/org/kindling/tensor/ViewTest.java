package org.kindling.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kindling.Kindling.arange;
import static org.kindling.Kindling.tensor;
import static org.kindling.Kindling.zeros;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Views share storage with their base; contiguous() copies only when needed. */
class ViewTest {

    private static Tensor m34() {
        return arange(12).reshape(3, 4);
    }

    private static void assertValues(long[] expected, Tensor t) {
        assertArrayEquals(expected, t.toLongArray(), t.toString());
    }

    @Test
    void viewAndReshapeShareStorage() {
        Tensor a = m34();
        Tensor v = a.view(2, -1);
        assertArrayEquals(new int[] {2, 6}, v.shape().toArray());
        assertTrue(v.sharesStorageWith(a));
        v.fill_(7);
        assertValues(new long[] {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7}, a);
        Tensor r = arange(6).reshape(-1);
        assertArrayEquals(new int[] {6}, r.shape().toArray());
    }

    @Test
    void viewOfTransposedNeedsReshape() {
        Tensor t = m34().t();
        assertFalse(t.isContiguous());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.view(12));
        assertTrue(e.getMessage().contains("view size [12] is not compatible"), e.getMessage());
        Tensor r = t.reshape(12);
        assertFalse(r.sharesStorageWith(t), "reshape of a transposed matrix must copy");
        assertValues(new long[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, r);
        // Splitting a dim of a transposed view is still a view.
        Tensor split = t.view(2, 2, 3);
        assertTrue(split.sharesStorageWith(t));
        assertArrayEquals(new int[] {2, 2, 3}, split.shape().toArray());
    }

    @Test
    void reshapeErrorsNameSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m34().reshape(5, -1));
        assertEquals("reshape: shape [5, -1] is invalid for input of size 12", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m34().view(-1, -1));
    }

    @Test
    void permuteTransposeAndT() {
        Tensor a = arange(24).reshape(2, 3, 4);
        Tensor p = a.permute(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.shape().toArray());
        assertArrayEquals(new int[] {1, 12, 4}, p.stride());
        assertEquals(13, p.get(1).get(1).get(0).itemLong());
        Tensor tr = a.transpose(0, 2);
        assertArrayEquals(new int[] {4, 3, 2}, tr.shape().toArray());
        assertEquals(a.select(0, 1).select(0, 2).select(0, 3).itemLong(), tr.get(3).get(2).get(1).itemLong());
        assertValues(new long[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, m34().t().contiguous());
        assertThrows(IllegalArgumentException.class, () -> a.permute(0, 1));
        assertThrows(IllegalArgumentException.class, () -> a.permute(0, 1, 1));
        assertThrows(IllegalArgumentException.class, a::t);
    }

    @Test
    void squeezeUnsqueezeFlatten() {
        Tensor a = zeros(2, 1, 3, 1);
        assertArrayEquals(new int[] {2, 3}, a.squeeze().shape().toArray());
        assertArrayEquals(new int[] {2, 3, 1}, a.squeeze(1).shape().toArray());
        assertArrayEquals(new int[] {2, 1, 3, 1}, a.squeeze(0).shape().toArray());
        assertArrayEquals(new int[] {2, 1, 3, 1, 1}, a.unsqueeze(-1).shape().toArray());
        assertArrayEquals(new int[] {1, 2, 1, 3, 1}, a.unsqueeze(0).shape().toArray());
        assertArrayEquals(new int[] {6}, a.flatten().shape().toArray());
        Tensor b = arange(24).reshape(2, 3, 4);
        assertArrayEquals(new int[] {2, 12}, b.flatten(1, -1).shape().toArray());
        assertArrayEquals(new int[] {2, 3, 2, 2}, b.unflatten(2, 2, -1).shape().toArray());
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> b.unsqueeze(4));
        assertTrue(e.getMessage().contains("[-4, 3]") && e.getMessage().contains("got 4"), e.getMessage());
    }

    @Test
    void expandIsAZeroStrideView() {
        Tensor a = tensor(new float[][] {{1}, {2}, {3}});
        Tensor e = a.expand(3, 4);
        assertArrayEquals(new int[] {1, 0}, e.stride());
        assertTrue(e.sharesStorageWith(a));
        assertArrayEquals(new float[] {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3}, e.toFloatArray());
        Tensor e2 = a.expand(2, -1, 2);
        assertArrayEquals(new int[] {2, 3, 2}, e2.shape().toArray());
        IllegalArgumentException err = assertThrows(IllegalArgumentException.class, () -> a.expand(4, 4));
        assertTrue(err.getMessage().contains("expanded size of the tensor (4) must match the existing size (3)"),
                err.getMessage());
    }

    @Test
    void narrowSelectAndSliceWithStep() {
        Tensor a = m34();
        assertValues(new long[] {1, 2, 5, 6, 9, 10}, a.narrow(1, 1, 2));
        assertValues(new long[] {4, 5, 6, 7}, a.select(0, 1));
        assertValues(new long[] {3, 7, 11}, a.select(1, -1));
        assertValues(new long[] {0, 2, 8, 10}, a.slice(0, 0, 3, 2).slice(1, 0, 4, 2));
        assertValues(new long[] {1, 3}, a.get(0).slice(0, 1, 100, 2));
        assertValues(new long[] {2, 3}, a.get(0).slice(0, -2, 4));
        assertEquals(0, a.slice(1, 3, 1).size(1), "empty slice when end < start");
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> a.select(0, 3));
        assertEquals("select: index 3 is out of bounds for dimension 0 with size 3", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> a.narrow(1, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> a.slice(0, 0, 3, 0));
    }

    @Test
    void inPlaceOnViewChangesTheBase() {
        Tensor a = m34().to(DType.FLOAT32);
        a.slice(1, 0, 4, 2).fill_(-1);
        assertArrayEquals(new float[] {-1, 1, -1, 3, -1, 5, -1, 7, -1, 9, -1, 11}, a.toFloatArray());
        a.t().select(0, 1).zero_();
        assertArrayEquals(new float[] {-1, 0, -1, 3, -1, 0, -1, 7, -1, 0, -1, 11}, a.toFloatArray());
        a.get(2).copy_(tensor(new float[] {5, 6, 7, 8}));
        assertArrayEquals(new float[] {5, 6, 7, 8}, a.get(2).toFloatArray());
    }

    @Test
    void unfoldMakesWindows() {
        Tensor x = arange(7).to(DType.FLOAT32);
        Tensor u = x.unfold(0, 3, 2);
        assertArrayEquals(new int[] {3, 3}, u.shape().toArray());
        assertTrue(u.sharesStorageWith(x));
        assertArrayEquals(new float[] {0, 1, 2, 2, 3, 4, 4, 5, 6}, u.toFloatArray());
        Tensor m = m34().unfold(1, 2, 1);
        assertArrayEquals(new int[] {3, 3, 2}, m.shape().toArray());
        assertValues(new long[] {5, 6}, m.get(1).get(1));
        assertThrows(IllegalArgumentException.class, () -> x.unfold(0, 8, 1));
    }

    @Test
    void contiguousCopiesOnlyWhenNeeded() {
        Tensor a = m34();
        assertSame(a, a.contiguous());
        Tensor t = a.t();
        Tensor c = t.contiguous();
        assertNotSame(t, c);
        assertTrue(c.isContiguous());
        assertFalse(c.sharesStorageWith(a));
        assertArrayEquals(new int[] {3, 1}, c.stride());
        Tensor cl = a.clone();
        cl.fill_(0);
        assertEquals(66, a.sum().itemLong(), "clone must not share storage");
    }

    @Test
    void splitChunkUnbind() {
        Tensor a = arange(10);
        List<Tensor> s = a.split(4, 0);
        assertEquals(3, s.size());
        assertValues(new long[] {8, 9}, s.get(2));
        assertTrue(s.get(1).sharesStorageWith(a));
        List<Tensor> s2 = a.split(new int[] {2, 3, 5}, 0);
        assertValues(new long[] {2, 3, 4}, s2.get(1));
        assertThrows(IllegalArgumentException.class, () -> a.split(new int[] {2, 3}, 0));
        List<Tensor> ch = a.chunk(3, 0);
        assertEquals(3, ch.size());
        assertEquals(4, ch.get(0).numel());
        assertEquals(2, ch.get(2).numel());
        assertEquals(3, arange(6).chunk(4, 0).size(), "torch.chunk(6 elements, 4) gives 3 chunks of 2");
        List<Tensor> u = m34().unbind(1);
        assertEquals(4, u.size());
        assertValues(new long[] {1, 5, 9}, u.get(1));
    }

    @Test
    void stridesAndOffsets() {
        Tensor a = arange(24).reshape(2, 3, 4);
        assertArrayEquals(new int[] {12, 4, 1}, a.stride());
        Tensor s = a.select(1, 2);
        assertEquals(8, s.storageOffset());
        assertArrayEquals(new int[] {12, 1}, s.stride());
        assertEquals(3, a.size(-2));
        assertEquals(3, a.dim());
        assertEquals(24, a.numel());
        assertEquals(Shape.of(2, 3, 4), a.shape());
    }
}
