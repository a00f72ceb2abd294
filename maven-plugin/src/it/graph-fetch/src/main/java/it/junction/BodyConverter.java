package it.junction;

import org.jooq.JSONB;
import org.jooq.impl.AbstractConverter;

/** Converts the jsonb column to {@link Body}; named in the plugin's forcedTypes. */
public final class BodyConverter extends AbstractConverter<JSONB, Body> {
    public BodyConverter() {
        super(JSONB.class, Body.class);
    }

    @Override
    public Body from(JSONB value) {
        return value == null ? null : new Body(value.data());
    }

    @Override
    public JSONB to(Body value) {
        return value == null ? null : JSONB.valueOf(value.json());
    }
}
