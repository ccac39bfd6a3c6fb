package com.fractal.gpuhost.image.awstoe.rules;

import com.fractal.gpuhost.image.awstoe.AwstoeDocument;
import com.fractal.gpuhost.image.awstoe.ComponentRule;
import com.fractal.gpuhost.image.awstoe.Finding;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A string that holds a {@code {{ ... }}} reference is a single- or double-quoted YAML scalar, as AWSTOE
 * asks (unquoted at the start of a value, "{{" opens a YAML flow mapping; this project asks for quotes
 * everywhere, block scalars included, so a reference always sits on a line of its own). Needs the scalars' quoting style, which Jackson's tree does not keep, so this rule reads the text with
 * SnakeYAML's node composer (the parser under Jackson's YAML module).
 */
public final class ParameterReferencesQuoted implements ComponentRule {
    @Override
    public List<Finding> check(final AwstoeDocument document) {
        List<Finding> findings = new ArrayList<>();
        Node root = new Yaml(new LoaderOptions()).compose(new StringReader(document.source()));
        walk(document, root, new ArrayList<>(), findings);
        return findings;
    }

    private void walk(final AwstoeDocument document, final Node node, final List<Object> path,
            final List<Finding> findings) {
        if (node instanceof ScalarNode scalar) {
            ScalarStyle style = scalar.getScalarStyle();
            if (scalar.getValue().contains("{{") && style != ScalarStyle.SINGLE_QUOTED
                    && style != ScalarStyle.DOUBLE_QUOTED) {
                findings.add(at(document, path, "line " + (scalar.getStartMark().getLine() + 1) + ": a "
                        + style.name().toLowerCase().replace('_', ' ') + " scalar holds a {{ }} reference; "
                        + "put it in a quoted string of its own: " + firstLine(scalar.getValue())));
            }
        } else if (node instanceof SequenceNode sequence) {
            for (int i = 0; i < sequence.getValue().size(); i++) {
                path.add(i);
                walk(document, sequence.getValue().get(i), path, findings);
                path.remove(path.size() - 1);
            }
        } else if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                Object key = tuple.getKeyNode() instanceof ScalarNode scalarKey ? scalarKey.getValue() : "?";
                path.add(key);
                walk(document, tuple.getValueNode(), path, findings);
                path.remove(path.size() - 1);
            }
        }
    }

    /** A finding placed at the phase and step that the path [phases, i, steps, j, ...] leads to. */
    private Finding at(final AwstoeDocument document, final List<Object> path, final String message) {
        if (path.size() >= 4 && "phases".equals(path.get(0)) && path.get(1) instanceof Integer p
                && "steps".equals(path.get(2)) && path.get(3) instanceof Integer s) {
            for (AwstoeDocument.Phase phase : document.phases()) {
                if (phase.index() == p) {
                    for (AwstoeDocument.Step step : phase.steps()) {
                        if (step.index() == s) {
                            return finding(document, step, message);
                        }
                    }
                }
            }
        }
        return finding(document, message);
    }

    private static String firstLine(final String value) {
        return value.strip().lines().filter(line -> line.contains("{{")).findFirst().orElse(value.strip());
    }
}
