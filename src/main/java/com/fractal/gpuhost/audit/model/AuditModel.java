package com.fractal.gpuhost.audit.model;

import com.fractal.gpuhost.audit.StackTemplate;
import java.util.List;
import java.util.function.Function;

/** Every fact the report states about an assembly, read from its templates and cdk-nag reports. */
public record AuditModel(List<StackTemplate> stacks, List<SecurityGroup> securityGroups, List<IamRole> roles,
        List<Encryption> encryption, List<InstanceMetadata> instanceMetadata, List<Distribution> distributions,
        List<Retention> retention, List<NagResult> nagResults) {

    public static AuditModel of(final List<StackTemplate> stacks) {
        return new AuditModel(stacks, all(stacks, SecurityGroup::read),
                all(stacks, IamRole::read), all(stacks, Encryption::read), all(stacks, InstanceMetadata::read),
                all(stacks, Distribution::read), all(stacks, Retention::read), all(stacks, StackTemplate::nagResults));
    }

    private static <T> List<T> all(final List<StackTemplate> stacks, final Function<StackTemplate, List<T>> read) {
        return stacks.stream().flatMap(stack -> read.apply(stack).stream()).toList();
    }
}
