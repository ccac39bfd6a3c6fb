import com.fractal.gpuhost.settings.AllowedValues;

/** Prints, comma-separated, every region the settings validator accepts: the benchmark's case c. */
public final class CommercialRegions {
    private CommercialRegions() {
    }

    public static void main(final String[] args) {
        System.out.println(String.join(",", AllowedValues.commercialRegions()));
    }
}
