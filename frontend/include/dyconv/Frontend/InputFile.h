//===- InputFile.h - reading model and weight files safely ------*- C++ -*-===//
//
// A path inside a model (`"weights": "/dev/zero"`) or on a command line may
// name a device, a FIFO or a directory: reading one never ends, blocks, or
// fails late. Only regular files are read, and their size is checked against
// a limit before any byte is read.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_FRONTEND_INPUTFILE_H
#define DYCONV_FRONTEND_INPUTFILE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <memory>

namespace mlir::dyconv {

/// The largest model or weight file read (16 GiB).
inline constexpr uint64_t kMaxInputFileSize = uint64_t(16) << 30;

/// The contents of the regular file at \p path, refused when it is not a
/// regular file or holds more than \p maxSize bytes. Messages do not name
/// the path: callers place them.
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readInputFile(llvm::StringRef path, bool requiresNullTerminator = true,
              uint64_t maxSize = kMaxInputFileSize);

} // namespace mlir::dyconv

#endif // DYCONV_FRONTEND_INPUTFILE_H
