/// The release both programs report: in `--version`, in `Hello`, on `/api/health`.
public enum VigilVersion {
    public static let current = "0.1.0"
}
