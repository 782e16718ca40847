package io.hpcbridge.gateway;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;

import io.hpcbridge.api.v1alpha1.SchedulerType;

/**
 * Registers a {@link BatchScheduler} bean for one scheduler type. The cluster layer finds adapters by this qualifier
 * and imports none of them: a new scheduler is a new package with one bean carrying this annotation.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER })
public @interface SchedulerAdapter {
    SchedulerType value();

    /** For {@code Instance.select(new SchedulerAdapter.Literal(type))}. */
    final class Literal extends AnnotationLiteral<SchedulerAdapter> implements SchedulerAdapter {
        private static final long serialVersionUID = 1L;
        private final SchedulerType value;

        public Literal(SchedulerType value) {
            this.value = value;
        }

        @Override
        public SchedulerType value() {
            return value;
        }
    }
}
