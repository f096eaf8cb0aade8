package org.kindling.plugin;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Declares a {@link Workload} component's service properties in one annotation (a Declarative Services component
 * property type: bnd writes the properties into the component description at build time).
 *
 * <pre>
 * &#64;Component
 * &#64;WorkloadProperties(id = "vision.mnist.train", title = "Train LeNet-5 on MNIST", tags = {"vision", "train"},
 *         options = {"epochs:int=3 Passes over the data", "lr:double=0.01 Learning rate"})
 * public class MnistTrain implements Workload { ... }
 * </pre>
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface WorkloadProperties {

    /** Prefix of every property this annotation defines: {@code workload.}. */
    String PREFIX_ = "workload.";

    /** @return the unique id, property {@link Workload#ID} */
    String id();

    /** @return a one-line title, property {@link Workload#TITLE} */
    String title() default "";

    /** @return a longer description, property {@link Workload#DESCRIPTION} */
    String description() default "";

    /** @return tags, property {@link Workload#TAGS} */
    String[] tags() default {};

    /** @return option specifications in {@link WorkloadOption#parse(String)} syntax, property {@link Workload#OPTIONS} */
    String[] options() default {};
}
