import Foundation
import Shared
import Testing

@testable import Agent

@Suite(.timeLimit(.minutes(1)))
struct DiskUsageTests {
    private let table = """
        sysfs /sys sysfs rw,nosuid 0 0
        proc /proc proc rw 0 0
        /dev/sda1 / ext4 rw,relatime 0 0
        tmpfs /run tmpfs rw 0 0
        /dev/sdb1 /srv/my\\040data xfs rw 0 0
        /dev/loop3 /snap/core/1 squashfs ro 0 0
        overlay /var/lib/docker/overlay2/x/merged overlay rw 0 0
        /dev/sdc1 /mnt ext4 rw 0 0
        /dev/sdd1 /mnt ext4 rw 0 0
        garbage
        """

    @Test func mountTableKeepsRealFilesystemsDecodesEscapesAndTakesTheLastOfStackedMounts() {
        let targets = DiskUsage.targets(selectedPaths: nil, table: MountEntry.parseTable(table))
        #expect(targets == [
            MountEntry(device: "/dev/sda1", mountPoint: "/", filesystemType: "ext4"),
            MountEntry(device: "/dev/sdd1", mountPoint: "/mnt", filesystemType: "ext4"),
            MountEntry(device: "/dev/sdb1", mountPoint: "/srv/my data", filesystemType: "xfs"),
        ])
    }

    @Test func onlyTheRootOverlayCountsAsThisHostsDisk() {
        let table = "overlay / overlay rw 0 0\noverlay /var/lib/docker/overlay2/x/merged overlay rw 0 0\n"
        let targets = DiskUsage.targets(selectedPaths: nil, table: MountEntry.parseTable(table))
        #expect(targets == [MountEntry(device: "overlay", mountPoint: "/", filesystemType: "overlay")])
    }

    @Test(arguments: [
        ("/srv/my data/db", "/dev/sdb1", "xfs"),
        ("/srv/other", "/dev/sda1", "ext4"),
        ("/mnt", "/dev/sdd1", "ext4"),
        ("/", "/dev/sda1", "ext4"),
    ])
    func aConfiguredPathTakesDeviceAndTypeFromTheInnermostMountHoldingIt(_ path: String, _ device: String, _ type: String) {
        let targets = DiskUsage.targets(selectedPaths: [path], table: MountEntry.parseTable(table))
        #expect(targets == [MountEntry(device: device, mountPoint: path, filesystemType: type)])
    }

    @Test func samplesUseTheRatiosDfShows() throws {
        let mount = MountEntry(device: "/dev/sda1", mountPoint: "/", filesystemType: "ext4")
        // 100 bytes, 30 free of which 10 reserved for root: 70 used of 90 usable.
        let space = FilesystemSpace(totalBytes: 100, availableBytes: 20, freeBytes: 30, totalInodes: 50, freeInodes: 40)
        let samples = DiskUsage.samples(for: mount, space: space)
        let values = Dictionary(samples.map { ($0.series.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        #expect(values["system_disk_total_bytes"] == .number(100))
        #expect(values["system_disk_available_bytes"] == .number(20))
        #expect(values["system_disk_used_ratio"] == .number(70.0 / 90.0))
        #expect(values["system_inodes_total"] == .number(50))
        #expect(values["system_inodes_free"] == .number(40))
        #expect(values["system_inodes_used_ratio"] == .number(0.2))
        #expect(samples.allSatisfy { $0.series.labels == ["mount": "/", "device": "/dev/sda1", "fstype": "ext4"] })
    }

    @Test func aFilesystemWithoutInodeTableOrBlocksSendsOnlyWhatItHas() {
        let mount = MountEntry(device: "d", mountPoint: "/b", filesystemType: "btrfs")
        let noInodes = FilesystemSpace(totalBytes: 10, availableBytes: 5, freeBytes: 5, totalInodes: 0, freeInodes: 0)
        #expect(DiskUsage.samples(for: mount, space: noInodes).map(\.series.name).sorted()
            == ["system_disk_available_bytes", "system_disk_total_bytes", "system_disk_used_ratio"])
        let empty = FilesystemSpace(totalBytes: 0, availableBytes: 0, freeBytes: 0, totalInodes: 0, freeInodes: 0)
        #expect(DiskUsage.samples(for: mount, space: empty).isEmpty)
    }

    @Test func measuresTheRealRootFilesystemAsStatvfsSeesIt() async throws {
        let samples = try await DiskUsage(selectedPaths: ["/"]).measure()
        let total = try #require(samples.first { $0.series.name == "system_disk_total_bytes" })
        var info = statvfs()
        #expect(statvfs("/", &info) == 0)
        #expect(total.value == .number(Double(UInt64(info.f_blocks) * UInt64(info.f_frsize))))
        #expect(total.series.labels["mount"] == "/")
        #expect(total.series.labels["fstype"]?.isEmpty == false)
    }

    @Test func systemCollectorIncludesEveryRealMountOfThisHost() async throws {
        let samples = try await SystemCollector(firstSampleWindow: .milliseconds(10)).collect().measurements
        let mounts = Set(samples.filter { $0.series.name == "system_disk_total_bytes" }.compactMap { $0.series.labels["mount"] })
        #expect(!mounts.isEmpty)
        let types = Set(samples.filter { $0.series.name == "system_disk_total_bytes" }.compactMap { $0.series.labels["fstype"] })
        #expect(types.isDisjoint(with: DiskUsage.pseudoFilesystems))
    }

    @Test func aMissingMountTableIsNamed() async {
        let disks = DiskUsage(selectedPaths: nil, mountTablePath: "/nonexistent/mounts")
        let error = await #expect(throws: CollectorError.self) { try await disks.measure() }
        #expect(error?.description == "cannot read /nonexistent/mounts: No such file or directory")
    }
}
