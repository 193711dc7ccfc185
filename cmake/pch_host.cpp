// Compiled only to produce a precompiled header (cmake/Pch.cmake); it defines nothing.
