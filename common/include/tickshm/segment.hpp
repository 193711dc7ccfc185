// Everything a program needs to look at segments: validation, the data view, the registry, /dev/shm.
#pragma once

#include "tickshm/data_view.hpp"
#include "tickshm/registry.hpp"
#include "tickshm/shm_files.hpp"
#include "tickshm/validation.hpp"
