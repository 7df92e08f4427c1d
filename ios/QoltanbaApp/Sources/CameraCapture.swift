import AVFoundation
import SwiftUI
import QoltanbaKit

/// One photo from the front (selfie) or back (ID card) camera, as JPEG, with AVFoundation.
final class CameraCapture: NSObject, AVCapturePhotoCaptureDelegate, @unchecked Sendable {
    let session = AVCaptureSession()
    private let output = AVCapturePhotoOutput()
    private let queue = DispatchQueue(label: "kz.qoltanba.camera")
    private var delivered: ((Result<Data, PlatformError>) -> Void)?

    /// Configures the session for `picture` and starts it.
    func start(for picture: Picture) throws {
        try session.attach(camera: picture == .selfie ? .front : .back, output: output, preset: .photo)
        queue.async { self.session.startRunning() }
    }

    /// Takes the photo; `done` gets the JPEG bytes.
    func shoot(_ done: @escaping (Result<Data, PlatformError>) -> Void) {
        delivered = done
        output.capturePhoto(with: AVCapturePhotoSettings(format: [AVVideoCodecKey: AVVideoCodecType.jpeg]), delegate: self)
    }

    func stop() { queue.async { self.session.stopRunning() } }

    func photoOutput(_ output: AVCapturePhotoOutput, didFinishProcessingPhoto photo: AVCapturePhoto, error: Error?) {
        let result: Result<Data, PlatformError> = if let data = photo.fileDataRepresentation(), error == nil {
            .success(data)
        } else {
            .failure(.Unavailable(reason: error.map { String(describing: $0) } ?? "no photo"))
        }
        delivered?(result)
        delivered = nil
    }
}

extension AVCaptureSession {
    /// Makes the built-in wide-angle camera at `position` the session's one input and adds `output`
    /// (kept when already there).
    func attach(camera position: AVCaptureDevice.Position, output: AVCaptureOutput, preset: Preset) throws {
        guard let device = AVCaptureDevice.default(.builtInWideAngleCamera, for: .video, position: position) else {
            throw PlatformError.Unavailable(reason: "no \(position == .front ? "front" : "back") camera")
        }
        let input = try AVCaptureDeviceInput(device: device)
        beginConfiguration()
        defer { commitConfiguration() }
        if canSetSessionPreset(preset) { sessionPreset = preset }
        inputs.forEach { removeInput($0) }
        guard canAddInput(input) else { throw PlatformError.Unavailable(reason: "the camera is busy") }
        addInput(input)
        if !outputs.contains(output), canAddOutput(output) { addOutput(output) }
    }
}

/// The live preview of a capture session.
struct CameraPreview: UIViewRepresentable {
    let session: AVCaptureSession

    func makeUIView(context: Context) -> PreviewView {
        let view = PreviewView()
        view.preview.session = session
        view.preview.videoGravity = .resizeAspectFill
        return view
    }

    func updateUIView(_ view: PreviewView, context: Context) {}

    final class PreviewView: UIView {
        override class var layerClass: AnyClass { AVCaptureVideoPreviewLayer.self }
        var preview: AVCaptureVideoPreviewLayer { layer as! AVCaptureVideoPreviewLayer } // swiftlint:disable:this force_cast
    }
}
