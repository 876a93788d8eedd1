//! `Document`: a reference document (purchase order, bill of lading …).

use lottrack_core::Document;
use pyo3::prelude::*;

use crate::result::{q, result_methods};

/// A reference document: ``type`` (``"po"``, ``"bol"``, ``"invoice"`` …) and ``id``.
#[pyclass(frozen, eq, name = "Document", module = "lottrack")]
#[derive(PartialEq)]
pub struct PyDocument(pub Document);

/// Python objects for a list of documents.
pub(crate) fn documents(py: Python<'_>, docs: &[Document]) -> PyResult<Vec<Py<PyDocument>>> {
    docs.iter()
        .map(|d| Py::new(py, PyDocument(d.clone())))
        .collect()
}

/// Documents as one text, `type:id` joined by `;` (for `to_pandas()`).
pub(crate) fn documents_text(docs: &[Document]) -> String {
    docs.iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join(";")
}

result_methods!(PyDocument {
    #[new]
    fn new(r#type: &str, id: &str) -> Self {
        PyDocument(Document::new(r#type, id))
    }

    /// The document type (``"po"``, ``"bol"``, ``"invoice"`` …).
    #[getter]
    fn r#type(&self) -> &str {
        &self.0.doc_type
    }

    /// The document number.
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }

    fn __repr__(&self) -> String {
        format!("Document(type={}, id={})", q(&self.0.doc_type), q(&self.0.id))
    }
});
