// The app imports QoltanbaKit alone: the generated records, enums, errors and protocols come with it.
@_exported import QoltanbaFFI
