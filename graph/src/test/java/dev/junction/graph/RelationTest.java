package dev.junction.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jooq.ForeignKey;
import org.jooq.Record;
import org.jooq.TableField;
import org.jooq.UniqueKey;
import org.jooq.impl.DSL;
import org.jooq.impl.Internal;
import org.jooq.impl.SQLDataType;
import org.jooq.impl.TableImpl;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: the synthetic foreign keys that generated graph classes create for relations the catalog does not declare
 * (a view, a partitioned parent) relate the same columns as a declared key would, and refuse what cannot be a key.
 */
class RelationTest {

    /** A table with an id (its primary key) and a customer_id. */
    private static final class T extends TableImpl<Record> {
        final TableField<Record, Long> id = createField(DSL.name("id"), SQLDataType.BIGINT.notNull(), this);
        final TableField<Record, Long> customerId = createField(DSL.name("customer_id"), SQLDataType.BIGINT, this);
        final UniqueKey<Record> pkey;

        T(String name) {
            super(DSL.name(name));
            pkey = Internal.createUniqueKey(this, DSL.name(name + "_pkey"), id);
        }
    }

    private final T customer = new T("customer");
    private final T payment = new T("big_payment");
    private final T other = new T("other");

    @Test
    void aSyntheticKeyRelatesItsColumnsToTheReferencedKeyInBothDirections() {
        ForeignKey<Record, Record> key = Relation.syntheticForeignKey("big_payment_customer_fk", customer.pkey,
                List.of(payment.customerId));
        assertThat(key.getName()).isEqualTo("big_payment_customer_fk");
        assertThat(key.getTable()).isEqualTo(payment);
        assertThat(key.getFields()).containsExactly(payment.customerId);
        assertThat(key.getKeyFields()).containsExactly(customer.id);
        assertThat(key.enforced()).as("the database does not enforce it").isFalse();

        Relation<Record, Record> toOne = Relation.toOne("customer", key);
        assertThat(toOne.source()).isEqualTo(payment);
        assertThat(toOne.target()).isEqualTo(customer);
        assertThat(toOne.sourceFields()).containsExactly(payment.customerId);
        assertThat(toOne.targetFields()).containsExactly(customer.id);
        Relation<Record, Record> toMany = Relation.toMany("bigPayments", key);
        assertThat(toMany.source()).isEqualTo(customer);
        assertThat(toMany.target()).isEqualTo(payment);
        assertThat(toMany.joinCondition(customer, payment).toString())
                .isEqualTo(payment.customerId.eq(customer.id).toString());
    }

    @Test
    void aSyntheticKeyNeedsOneColumnPerColumnOfTheReferencedKey() {
        assertThatThrownBy(() -> Relation.syntheticForeignKey("fk", customer.pkey,
                List.<TableField<Record, ?>>of(payment.customerId, payment.id)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("synthetic foreign key 'fk' must have one column per column of customer_pkey (1), but had 2");
        assertThatThrownBy(() -> Relation.syntheticForeignKey("fk", customer.pkey, List.<TableField<Record, ?>>of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but had 0");
    }

    @Test
    void aSyntheticKeysColumnsMustBelongToOneTable() {
        UniqueKey<Record> composite = Internal.createUniqueKey(customer, DSL.name("customer_pair"), customer.id,
                customer.customerId);
        assertThatThrownBy(() -> Relation.syntheticForeignKey("fk", composite,
                List.<TableField<Record, ?>>of(payment.customerId, other.id)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("synthetic foreign key 'fk': every column must belong to big_payment, but id belongs to"
                        + " other");
    }
}
