package org.cpmrouter.groupstore;

import org.infinispan.protostream.GeneratedSchema;
import org.infinispan.protostream.annotations.ProtoSchema;

/**
 * ProtoStream schema of the values this module stores in Infinispan; the annotation processor generates
 * {@code GroupStoreSchemaImpl}, which {@link CpmDataStores} registers in the global serialization configuration.
 */
@ProtoSchema(
        includeClasses = {SubscriberEntity.class, BindingEntity.class, RegistrationEntity.class, GroupEntity.class,
                PendingFanOutEntity.class, HeldMessageEntity.class, DeferredIndexEntity.class,
                SmsReceiptEntity.class},
        schemaFileName = "cpm-group-store.proto",
        schemaFilePath = "proto/",
        schemaPackageName = "cpmrouter.groupstore",
        service = false)
public interface GroupStoreSchema extends GeneratedSchema {
}
