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
        let position: AVCaptureDevice.Position = picture == .selfie ? .front : .back
        guard let device = AVCaptureDevice.default(.builtInWideAngleCamera, for: .video, position: position) else {
            throw PlatformError.Unavailable(reason: "no \(position == .front ? "front" : "back") camera")
        }
        let input = try AVCaptureDeviceInput(device: device)
        session.beginConfiguration()
        session.sessionPreset = .photo
        session.inputs.forEach(session.removeInput)
        guard session.canAddInput(input) else { throw PlatformError.Unavailable(reason: "the camera is busy") }
        session.addInput(input)
        if !session.outputs.contains(output), session.canAddOutput(output) { session.addOutput(output) }
        session.commitConfiguration()
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
