package com.fractal.gpuhost.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fractal.gpuhost.TestApps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The declarations are the one source: cdk.json, the loader's known keys and the documented tables follow them. */
class SettingDeclarationsTest {
    private static final Map<String, Object> CDK_JSON = TestApps.defaultContext();

    @Test
    void cdkJsonHoldsADefaultForExactlyTheSettingsDeclaredWithOne() {
        Set<String> declaredWithDefault = SettingDeclarations.all().stream().filter(Setting::defaultInCdkJson)
                .map(Setting::key).collect(Collectors.toCollection(TreeSet::new));
        Set<String> inCdkJson = new TreeSet<>(CDK_JSON.keySet());

        Set<String> undeclared = new TreeSet<>(inCdkJson);
        undeclared.removeAll(declaredWithDefault);
        Set<String> withoutDefault = new TreeSet<>(declaredWithDefault);
        withoutDefault.removeAll(inCdkJson);
        assertEquals(Set.of(), undeclared, "keys in cdk.json that no declaration (or one without a default) names");
        assertEquals(Set.of(), withoutDefault, "declared with a default in cdk.json, but cdk.json lacks them");
    }

    @Test
    void theLoaderKnowsExactlyTheDeclaredKeys() {
        assertEquals(SettingDeclarations.keys(), SettingsLoader.KNOWN_KEYS);
        assertEquals(SettingDeclarations.all().size(), SettingDeclarations.keys().size(), "a key declared twice");
    }

    @ParameterizedTest
    @EnumSource(Setting.Group.class)
    void theDocumentedTableIsTheGeneratedOne(final Setting.Group group) throws IOException {
        Path file = SettingsTable.DOCUMENTED_IN.get(group);
        String document = Files.readString(file);
        assertTrue(document.contains(SettingsTable.begin(group)) && document.contains(SettingsTable.end(group)),
                file + " lacks the markers of the " + group + " table");
        assertEquals(SettingsTable.replaceTable(document, group, CDK_JSON), document, () -> file + "'s " + group
                + " table differs from the declarations; regenerate it with: mvn -q compile exec:java "
                + "-Dmain.class=" + SettingsTable.class.getName());
    }

    @Test
    void everyDeclarationSaysWhatIsAllowedAndWhatItMeans() {
        for (Setting<?> setting : SettingDeclarations.all()) {
            assertTrue(!setting.allowed().isBlank() && !setting.description().isBlank(), setting.key());
            assertTrue(setting.defaultInCdkJson() || !setting.absentMeans().isBlank(), setting.key());
        }
    }
}
