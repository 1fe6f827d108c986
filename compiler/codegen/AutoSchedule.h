//===- AutoSchedule.h - Halide's autoschedulers as a baseline ---*- C++ -*-===//
#ifndef NNCC_CODEGEN_AUTOSCHEDULE_H
#define NNCC_CODEGEN_AUTOSCHEDULE_H

#include "compiler/codegen/HLToHalide.h"

namespace nncc {

/// Schedules `p` (translated without its own schedule) with the Halide
/// autoscheduler `name` (Mullapudi2016, Adams2019 or Li2018), loaded from
/// Debian's plugin. Errors, Halide's included, are returned in `error`.
bool autoSchedule(HalidePipeline &p, const std::string &name,
                  const Halide::Target &target, std::string &error);

} // namespace nncc

#endif // NNCC_CODEGEN_AUTOSCHEDULE_H
