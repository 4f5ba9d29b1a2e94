#!/bin/sh

echo "hello"
