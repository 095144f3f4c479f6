import sys


def main():
    data = sys.stdin.read().split()
    n, k = int(data[0]), int(data[1])
    seen = {}
    pairs = 0
    for token in data[2 : 2 + n]:
        weight = int(token)
        pairs += seen.get(k - weight, 0)
        seen[weight] = seen.get(weight, 0) + 1
    print(pairs)


main()
