package com.fractal.gpuhost.nag;

import io.github.cdklabs.cdknag.IApplyRule;
import io.github.cdklabs.cdknag.NagMessageLevel;
import io.github.cdklabs.cdknag.NagPack;
import io.github.cdklabs.cdknag.NagPackProps;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Stack;
import software.amazon.jsii.Kernel;
import software.amazon.jsii.NativeType;
import software.constructs.IConstruct;

/**
 * The project's cdk-nag pack, applied beside AwsSolutions: the checks that neither AwsSolutions nor a Control
 * Tower control makes. Findings are error annotations, suppressed the native way (NagSuppressions, through
 * {@link AcceptedRisk}).
 */
public final class ProjectChecks extends NagPack {
    public static final String PACK = "FractalProject";
    public static final List<ProjectRule> RULES = List.of(new PublicAmi(),
            new UnencryptedRecipeVolume(), new ImdsV1OnBuildInstances(), new WildcardTrustPrincipal());

    public ProjectChecks(final NagPackProps props) {
        super(props);
        setPackName(PACK);
    }

    @Override
    public void visit(final IConstruct node) {
        if (node instanceof CfnResource resource) {
            RULES.stream().filter(rule -> rule.resourceType().equals(resource.getCfnResourceType()))
                    .forEach(rule -> applyRule(new Application(rule, resource)));
        }
    }

    /** The resource as CloudFormation receives it: its rendered, resolved properties. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> properties(final CfnResource resource) {
        // cfn-properties are protected in CfnResource; the jsii kernel reads them as the CDK renders them.
        Object updated = Kernel.get(resource, "updatedProperties", NativeType.forClass(Object.class));
        Object rendered = Kernel.call(resource, "renderProperties", NativeType.forClass(Object.class), updated);
        Object resolved = Stack.of(resource).resolve(rendered);
        return resolved instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /** One rule applied to one resource, in the shape cdk-nag's applyRule takes. */
    private static final class Application implements IApplyRule {
        private final ProjectRule projectRule;
        private CfnResource node;
        private String info;
        private String explanation;
        private NagMessageLevel level = NagMessageLevel.ERROR;
        private String suffix;

        Application(final ProjectRule rule, final CfnResource node) {
            this.projectRule = rule;
            this.node = node;
            this.info = rule.info();
            this.explanation = rule.explanation();
            this.suffix = rule.id();
        }

        @Override
        public Object rule(final CfnResource resource) {
            return projectRule.check(resource.getCfnResourceType(), properties(resource));
        }

        @Override
        public String getExplanation() {
            return explanation;
        }

        @Override
        public void setExplanation(final String value) {
            explanation = value;
        }

        @Override
        public String getInfo() {
            return info;
        }

        @Override
        public void setInfo(final String value) {
            info = value;
        }

        @Override
        public NagMessageLevel getLevel() {
            return level;
        }

        @Override
        public void setLevel(final NagMessageLevel value) {
            level = value;
        }

        @Override
        public CfnResource getNode() {
            return node;
        }

        @Override
        public void setNode(final CfnResource value) {
            node = value;
        }

        @Override
        public String getRuleSuffixOverride() {
            return suffix;
        }

        @Override
        public void setRuleSuffixOverride(final String value) {
            suffix = value;
        }
    }
}
