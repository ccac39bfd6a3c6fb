package com.fractal.gpuhost.audit.rules;

import com.fractal.gpuhost.audit.model.AuditModel;
import com.fractal.gpuhost.audit.model.Distribution;
import java.util.ArrayList;
import java.util.List;

/** A distribution shares the AMI with everyone (launch permission group "all"). */
public final class PublicAmi implements AuditRule {
    @Override
    public String description() {
        return "A distribution makes the AMI public (launch permission group \"all\"): anyone can launch it and "
                + "read its snapshots";
    }

    @Override
    public List<Flag> check(final AuditModel model) {
        List<Flag> flags = new ArrayList<>();
        for (Distribution fact : model.distributions()) {
            if (fact.publicAmi()) {
                flags.add(flag(fact, Severity.CRITICAL, fact.stack(), fact.logicalId(),
                        fact.configurationName() + " in " + fact.region(), "the AMI is public in " + fact.region()));
            }
        }
        return flags;
    }
}
