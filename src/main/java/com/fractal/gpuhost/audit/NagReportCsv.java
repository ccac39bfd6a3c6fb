package com.fractal.gpuhost.audit;

import com.fractal.gpuhost.audit.model.NagResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the CSV report cdk-nag writes for each stack and rule pack ({@code <Pack>-<stack>-NagReport.csv}):
 * a header, then one row per rule and resource, every field quoted, quotes doubled inside.
 */
final class NagReportCsv {
    private static final List<String> HEADER =
            List.of("Rule ID", "Resource ID", "Compliance", "Exception Reason", "Rule Level", "Rule Info");

    private NagReportCsv() {
    }

    static List<NagResult> parse(final String stack, final String pack, final String fileName, final String text) {
        List<List<String>> rows = rows(fileName, text);
        if (rows.isEmpty() || !rows.get(0).equals(HEADER)) {
            throw new AuditException(fileName + " is not a cdk-nag report: its first line is not the header "
                    + String.join(",", HEADER));
        }
        List<NagResult> results = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            List<String> row = rows.get(i);
            if (row.size() != HEADER.size()) {
                throw new AuditException(fileName + " row " + (i + 1) + " has " + row.size() + " fields, not "
                        + HEADER.size());
            }
            results.add(new NagResult(stack, pack, row.get(0), row.get(1), row.get(2), row.get(3), row.get(4),
                    row.get(5)));
        }
        return results;
    }

    private static List<List<String>> rows(final String fileName, final String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStarted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                fieldStarted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
                fieldStarted = true;
            } else if (c == '\n' || c == '\r') {
                if (fieldStarted || field.length() > 0 || !row.isEmpty()) {
                    row.add(field.toString());
                    rows.add(row);
                }
                row = new ArrayList<>();
                field.setLength(0);
                fieldStarted = false;
            } else {
                field.append(c);
                fieldStarted = true;
            }
        }
        if (quoted) {
            throw new AuditException(fileName + " is not valid CSV: a quoted field is never closed");
        }
        if (fieldStarted || field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
