n, k = map(int, input().split())
a = list(map(int, input().split()))
pairs = 0
# Посчитайте пары гирь общим весом k
print(pairs)
