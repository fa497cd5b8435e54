#pragma once
/// Asks the kernel to back a large list with 2 MB pages ("transparent huge pages", where the system
/// leaves them to the program: /sys/kernel/mm/transparent_hugepage/enabled is "madvise").
///
/// A national run writes about 2 GB of records into lists reserved once. Each 4 KB page first written
/// is a fault and a page to clear: 540,000 faults in the load stage alone, and on a virtual machine a
/// fault can cost far more than the clearing. One 2 MB page is one fault. The advice only covers the
/// whole 2 MB pages inside the list's room; it changes no value, and where the kernel has no huge
/// pages to give, nothing happens.

#include <cstddef>
#include <cstdint>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace censusqa::load {

inline void advise_huge_pages(const void* begin, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::uintptr_t huge = std::uintptr_t{2} << 20;
  const auto from = (reinterpret_cast<std::uintptr_t>(begin) + huge - 1) & ~(huge - 1);
  const auto to = (reinterpret_cast<std::uintptr_t>(begin) + bytes) & ~(huge - 1);
  if (to > from) ::madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);
#else
  (void)begin;
  (void)bytes;
#endif
}

/// The advice for a list's whole room (its capacity), once the room is reserved.
template <class T> void advise_huge_pages(const std::vector<T>& list) {
  advise_huge_pages(list.data(), list.capacity() * sizeof(T));
}

} // namespace censusqa::load
