package kz.qoltanba.app

import androidx.camera.core.CameraSelector
import androidx.camera.core.ImageCapture
import androidx.camera.core.ImageCaptureException
import androidx.camera.core.ImageProxy
import androidx.camera.view.CameraController
import androidx.camera.view.LifecycleCameraController
import androidx.camera.view.PreviewView
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.material3.Button
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.remember
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.compose.ui.viewinterop.AndroidView
import androidx.core.content.ContextCompat
import androidx.lifecycle.compose.LocalLifecycleOwner
import kz.qoltanba.ffi.Picture

/** CameraX: the preview and one JPEG from the front (selfie) or back (ID card) camera. */
@Composable
fun CameraCapture(picture: Picture, taken: (ByteArray?) -> Unit) {
    val context = LocalContext.current
    val lifecycle = LocalLifecycleOwner.current
    val controller = remember(picture) {
        LifecycleCameraController(context).apply {
            cameraSelector = if (picture == Picture.SELFIE) CameraSelector.DEFAULT_FRONT_CAMERA else CameraSelector.DEFAULT_BACK_CAMERA
            setEnabledUseCases(CameraController.IMAGE_CAPTURE)
            imageCaptureMode = ImageCapture.CAPTURE_MODE_MINIMIZE_LATENCY
            bindToLifecycle(lifecycle)
        }
    }
    Column {
        AndroidView(
            factory = { PreviewView(it).apply { this.controller = controller } },
            modifier = Modifier.fillMaxWidth().height(360.dp),
        )
        Button(onClick = {
            controller.takePicture(
                ContextCompat.getMainExecutor(context),
                object : ImageCapture.OnImageCapturedCallback() {
                    override fun onCaptureSuccess(image: ImageProxy) = taken(image.use { it.jpeg() })

                    override fun onError(exception: ImageCaptureException) = taken(null)
                },
            )
        }) { Text(stringResource(R.string.camera_capture)) }
    }
}

/** The JPEG bytes of a capture (ImageCapture's in-memory format is JPEG). */
private fun ImageProxy.jpeg(): ByteArray {
    val buffer = planes.first().buffer
    return ByteArray(buffer.remaining()).also { buffer.get(it) }
}
