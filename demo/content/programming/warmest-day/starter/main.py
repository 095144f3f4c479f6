n = int(input())
t = list(map(int, input().split()))
# Найди самую высокую температуру и номер первого дня с ней
