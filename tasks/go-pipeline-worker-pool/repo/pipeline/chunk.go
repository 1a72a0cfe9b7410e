package pipeline

// Chunk splits items into consecutive slices of at most size items (size < 1 means
// 1). The slices share items' backing array; the last one may be shorter.
func Chunk[T any](items []T, size int) [][]T {
	if size < 1 {
		size = 1
	}
	chunks := make([][]T, 0, (len(items)+size-1)/size)
	for start := 0; start < len(items); start += size {
		end := start + size
		if end > len(items) {
			end = len(items)
		}
		chunks = append(chunks, items[start:end:end])
	}
	return chunks
}
