package org.kindling.train.tensorboard.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.protobuf.Value;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.imageio.ImageIO;
import org.kindling.train.tensorboard.internal.proto.hparams.DataType;
import org.kindling.train.tensorboard.internal.proto.hparams.Experiment;
import org.kindling.train.tensorboard.internal.proto.hparams.HParamInfo;
import org.kindling.train.tensorboard.internal.proto.hparams.HParamsPluginData;
import org.kindling.train.tensorboard.internal.proto.HistogramProto;
import org.kindling.train.tensorboard.internal.proto.hparams.MetricInfo;
import org.kindling.train.tensorboard.internal.proto.hparams.MetricName;
import org.kindling.train.tensorboard.internal.proto.hparams.SessionEndInfo;
import org.kindling.train.tensorboard.internal.proto.hparams.SessionStartInfo;
import org.kindling.train.tensorboard.internal.proto.hparams.Status;
import org.kindling.train.tensorboard.internal.proto.Summary;
import org.kindling.train.tensorboard.internal.proto.SummaryMetadata;
import org.kindling.train.tensorboard.internal.proto.TensorProto;
import org.kindling.train.tensorboard.internal.proto.TensorShapeProto;

/** Builds the {@code Summary.Value}s TensorBoard's plugins read: scalars, histograms, images, text, hparams. */
public final class Summaries {

    /** Tag prefix and plugin name TensorBoard's hparams plugin looks for. */
    public static final String HPARAMS_PLUGIN = "hparams";
    public static final String EXPERIMENT_TAG = "_hparams_/experiment";
    public static final String SESSION_START_TAG = "_hparams_/session_start_info";
    public static final String SESSION_END_TAG = "_hparams_/session_end_info";

    private Summaries() {
    }

    public static Summary.Value scalar(String tag, double value) {
        return Summary.Value.newBuilder().setTag(tag).setSimpleValue((float) value).build();
    }

    /**
     * A histogram of {@code bins} equal-width buckets between the smallest and largest value. Bucket i counts the
     * values in (limit[i-1], limit[i]]; the first bucket also holds the minimum.
     */
    public static Summary.Value histogram(String tag, double[] values, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("histogram '" + tag + "': bins must be >= 1, got " + bins);
        }
        if (values.length == 0) {
            throw new IllegalArgumentException("histogram '" + tag + "': no values");
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double sumSquares = 0;
        int nonFinite = 0;
        for (double v : values) {
            if (!Double.isFinite(v)) {
                nonFinite++;
                continue;
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            sumSquares += v * v;
        }
        if (nonFinite > 0) {
            throw new IllegalArgumentException("histogram '" + tag + "': expected finite values, found " + nonFinite
                    + " NaN or infinite of " + values.length);
        }
        int buckets = max > min ? bins : 1;
        double width = (max - min) / buckets;
        double[] counts = new double[buckets];
        for (double v : values) {
            int b = buckets == 1 ? 0 : (int) Math.ceil((v - min) / width) - 1;
            counts[Math.max(0, Math.min(buckets - 1, b))]++;
        }
        HistogramProto.Builder h = HistogramProto.newBuilder().setMin(min).setMax(max).setNum(values.length)
                .setSum(sum).setSumSquares(sumSquares);
        for (int i = 0; i < buckets; i++) {
            h.addBucketLimit(i == buckets - 1 ? max : min + width * (i + 1));
            h.addBucket(counts[i]);
        }
        return Summary.Value.newBuilder().setTag(tag).setHisto(h).build();
    }

    public static Summary.Value image(String tag, BufferedImage image) {
        int colorspace;
        switch (image.getType()) {
            case BufferedImage.TYPE_BYTE_GRAY:
            case BufferedImage.TYPE_USHORT_GRAY:
                colorspace = 1;
                break;
            default:
                colorspace = image.getColorModel().hasAlpha() ? 4 : 3;
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", png)) {
                throw new IllegalStateException("image '" + tag + "': no PNG writer for image type " + image.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("image '" + tag + "': PNG encoding failed", e);
        }
        Summary.Image img = Summary.Image.newBuilder().setHeight(image.getHeight()).setWidth(image.getWidth())
                .setColorspace(colorspace).setEncodedImageString(ByteString.copyFrom(png.toByteArray())).build();
        return Summary.Value.newBuilder().setTag(tag).setImage(img).build();
    }

    public static Summary.Value text(String tag, String text) {
        TensorProto tensor = TensorProto.newBuilder()
                .setDtype(org.kindling.train.tensorboard.internal.proto.DataType.DT_STRING)
                .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(1)))
                .addStringVal(ByteString.copyFrom(text, StandardCharsets.UTF_8)).build();
        return Summary.Value.newBuilder().setTag(tag).setMetadata(plugin("text", ByteString.EMPTY)).setTensor(tensor)
                .build();
    }

    /** The experiment, session-start and session-end values of one hparams session, in that order. */
    public static Summary.Value[] hparams(Map<String, ?> hparams, Iterable<String> metricNames, String group,
            double startSeconds, double endSeconds) {
        Experiment.Builder experiment = Experiment.newBuilder().setTimeCreatedSecs(startSeconds);
        SessionStartInfo.Builder start = SessionStartInfo.newBuilder().setGroupName(group)
                .setStartTimeSecs(startSeconds);
        for (Map.Entry<String, ?> e : hparams.entrySet()) {
            Object v = e.getValue();
            Value.Builder value = Value.newBuilder();
            DataType type;
            if (v instanceof Number) {
                value.setNumberValue(((Number) v).doubleValue());
                type = DataType.DATA_TYPE_FLOAT64;
            } else if (v instanceof Boolean) {
                value.setBoolValue((Boolean) v);
                type = DataType.DATA_TYPE_BOOL;
            } else {
                value.setStringValue(String.valueOf(v));
                type = DataType.DATA_TYPE_STRING;
            }
            start.putHparams(e.getKey(), value.build());
            experiment.addHparamInfos(HParamInfo.newBuilder().setName(e.getKey()).setType(type)
                    .setDomainDiscrete(ListValue.newBuilder().addValues(value)));
        }
        for (String metric : metricNames) {
            experiment.addMetricInfos(MetricInfo.newBuilder().setName(MetricName.newBuilder().setTag(metric)));
        }
        SessionEndInfo end = SessionEndInfo.newBuilder().setStatus(Status.STATUS_SUCCESS).setEndTimeSecs(endSeconds)
                .build();
        return new Summary.Value[] {
            hparamsValue(EXPERIMENT_TAG, HParamsPluginData.newBuilder().setExperiment(experiment)),
            hparamsValue(SESSION_START_TAG, HParamsPluginData.newBuilder().setSessionStartInfo(start)),
            hparamsValue(SESSION_END_TAG, HParamsPluginData.newBuilder().setSessionEndInfo(end)),
        };
    }

    private static Summary.Value hparamsValue(String tag, HParamsPluginData.Builder data) {
        return Summary.Value.newBuilder().setTag(tag)
                .setMetadata(plugin(HPARAMS_PLUGIN, data.setVersion(0).build().toByteString())).build();
    }

    private static SummaryMetadata plugin(String name, ByteString content) {
        return SummaryMetadata.newBuilder().setPluginData(
                SummaryMetadata.PluginData.newBuilder().setPluginName(name).setContent(content)).build();
    }
}
