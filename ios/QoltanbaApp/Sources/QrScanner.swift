import AVFoundation
import SwiftUI
import UIKit

/// Reads QR codes from the back camera with AVFoundation (`AVCaptureMetadataOutput`, `.qr`).
final class QrScanner: NSObject, AVCaptureMetadataOutputObjectsDelegate, @unchecked Sendable {
    let session = AVCaptureSession()
    private let output = AVCaptureMetadataOutput()
    private let queue = DispatchQueue(label: "kz.qoltanba.qr")
    private var found: ((String) -> Void)? // touched only on the main queue

    /// Starts the camera; `found` gets the first code read (on the main queue), once per start.
    func start(_ found: @escaping (String) -> Void) throws {
        try session.attach(camera: .back, output: output, preset: .high)
        output.setMetadataObjectsDelegate(self, queue: .main)
        output.metadataObjectTypes = output.availableMetadataObjectTypes.filter { $0 == .qr }
        self.found = found
        queue.async { self.session.startRunning() }
    }

    func stop() {
        found = nil
        queue.async { self.session.stopRunning() }
    }

    func metadataOutput(
        _ output: AVCaptureMetadataOutput, didOutput objects: [AVMetadataObject], from connection: AVCaptureConnection
    ) {
        let codes = objects.compactMap { ($0 as? AVMetadataMachineReadableCodeObject)?.stringValue }
        guard let code = codes.first, let found else { return }
        self.found = nil
        UINotificationFeedbackGenerator().notificationOccurred(.success)
        found(code)
    }
}

/// The camera preview that reports the first QR code it sees; says so when the camera may not be used.
struct QrScannerView: View {
    let found: (String) -> Void
    @State private var scanner = QrScanner()
    @State private var unavailable: LocalizedStringKey?

    var body: some View {
        if let unavailable {
            Text(unavailable).foregroundStyle(.red)
        } else {
            CameraPreview(session: scanner.session)
                .frame(height: 320)
                .task { await start() }
                .onDisappear { scanner.stop() }
        }
    }

    @MainActor
    private func start() async {
        guard await AVCaptureDevice.requestAccess(for: .video) else {
            unavailable = "login_camera_denied"
            return
        }
        do { try scanner.start(found) } catch { unavailable = "login_camera_unavailable" }
    }
}
